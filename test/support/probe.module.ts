import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Public } from '../../src/common/auth/public.decorator.js';

class ProbeItem {
  @IsString()
  @MaxLength(20)
  name!: string;
}

class ProbeBody {
  @IsInt()
  @Min(0)
  @Max(10)
  count!: number;

  @ValidateNested()
  @Type(() => ProbeItem)
  item!: ProbeItem;
}

/** A test-only route to exercise the global HTTP policies (validation, body parsing, limits). */
@Public()
@Controller('test-probe')
class ProbeController {
  @Post()
  echo(@Body() body: ProbeBody): { received: ProbeBody } {
    return { received: body };
  }

  @Get('slow')
  async slow(): Promise<{ done: true }> {
    await new Promise((resolve) => setTimeout(resolve, 700));
    return { done: true };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
