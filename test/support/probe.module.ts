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

/**
 * Holds the slow route's requests until the test opens it, and counts those that reached the handler:
 * a test sees a request in flight and decides when it answers, with no sleep on either side.
 */
export class SlowGate {
  entered = 0;
  private opened = false;
  private readonly waiters: Array<() => void> = [];

  pass(): Promise<void> {
    this.entered++;
    return this.opened ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  open(): void {
    this.opened = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

export const slowGate = new SlowGate();

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
    await slowGate.pass();
    return { done: true };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
