import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';

/**
 * What a Nest application context of this process is for, named by the entry point that builds it,
 * never guessed from what happens to be wired (docs/architecture.md "Process roles"):
 * - `api`: the HTTP application (`quorum api`, and the HTTP half of `quorum all`); it serves requests,
 *   so it keeps the in-memory blocklist and lookup index current;
 * - `worker`: the job processors (`quorum worker`, the worker half of `quorum all`, in its child process
 *   or in-process);
 * - `cli`: a one-shot administration command (`quorum operator ...`, `quorum backup ...`).
 */
export type ProcessRole = 'api' | 'worker' | 'cli';

export const PROCESS_ROLE = 'QUORUM_PROCESS_ROLE';

/** Injects the role of the application context (`@InjectProcessRole() role: ProcessRole`). */
export const InjectProcessRole = (): ParameterDecorator => Inject(PROCESS_ROLE);

@Global()
@Module({})
export class ProcessRoleModule {
  static forRoot(role: ProcessRole): DynamicModule {
    return { module: ProcessRoleModule, providers: [{ provide: PROCESS_ROLE, useValue: role }], exports: [PROCESS_ROLE] };
  }
}
