/** What a command may touch of its process: output streams and the environment. Tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export const DEFAULT_CONFIG_PATH = '/etc/quorum-agent/config.json';

export function configPathFrom(option: string | undefined, io: CliIo): string {
  return option ?? io.env.QUORUM_AGENT_CONFIG ?? DEFAULT_CONFIG_PATH;
}

/** A failure to report as one line and exit status 1 (no stack trace for the operator). */
export class CliError extends Error {
  override readonly name = 'CliError';
}
