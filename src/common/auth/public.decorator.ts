import { Auth } from './auth.decorator.js';

/**
 * The generic open row, for test probes and other undocumented helpers. Documented routes name their own
 * row of the authorization table instead (the authorization matrix test refuses `public` on them).
 */
export const Public = (): ClassDecorator & MethodDecorator => Auth('public');
