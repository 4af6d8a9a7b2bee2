import { loadConfigFromProcess } from '../config/app-config.js';
import { migrateCommand } from '../infra/prisma/migrate/migrate.command.js';

export async function runMigrate(command: 'migrate' | 'migrate-dev', args: string[]): Promise<number> {
  const config = loadConfigFromProcess();
  return migrateCommand([command, ...args], config.database.url);
}
