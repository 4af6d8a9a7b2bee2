import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'quorum:public';

/** Routes are private unless marked public. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);
