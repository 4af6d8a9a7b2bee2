/** JSON bodies in tests are read loosely: assertions check their shape. */
export type JsonBody = Record<string, any>;

export async function readJson(res: Response): Promise<JsonBody> {
  return (await res.json()) as JsonBody;
}
