/** The cluster tier's own database: the run's test database name with `_cluster` appended. */
export function clusterTierDatabaseUrl(base: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname}_cluster`;
  return url.toString();
}
