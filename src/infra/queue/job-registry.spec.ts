import { JobRegistry, JobRegistryError } from './job-registry.js';
import { JobName } from './queue.constants.js';

describe('JobRegistry.validate', () => {
  const registry = new JobRegistry({} as never, {} as never, {} as never);
  const all = () => new Map<string, string[]>(Object.values(JobName).map((name) => [name, [`Handler.${name}`]]));

  it('accepts exactly one handler per declared job', () => {
    expect(() => registry.validate(all())).not.toThrow();
  });

  it('fails when a declared job has no handler', () => {
    const found = all();
    found.delete(JobName.EnsureSignalPartitions);
    expect(() => registry.validate(found)).toThrow(JobRegistryError);
    expect(() => registry.validate(found)).toThrow(/"ensure-signal-partitions" has no handler/);
  });

  it('fails when a job has two handlers', () => {
    const found = all();
    found.set(JobName.EnsureSignalPartitions, ['A.run', 'B.run']);
    expect(() => registry.validate(found)).toThrow(/has 2 handlers: A.run, B.run/);
  });

  it('fails on a handler for an undeclared job', () => {
    const found = all();
    found.set('mystery-job', ['C.run']);
    expect(() => registry.validate(found)).toThrow(/undeclared job "mystery-job"/);
  });
});
