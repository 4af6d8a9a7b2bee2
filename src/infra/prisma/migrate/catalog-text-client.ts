import pg from 'pg';

// The schema engine introspects pg_catalog columns typed `"char"` (oid 18) and `name` (oid 19).
// @prisma/adapter-pg maps column types from the row description and rejects `"char"` as unsupported,
// so those columns are relabelled as text before the adapter sees them (their text form is the value).
const CATALOG_OIDS = new Set([18, 19]);
const TEXT_OID = 25;

interface RowDescription {
  fields: { dataTypeID: number }[];
}
type RowDescriptionHandler = (this: pg.Client, msg: RowDescription) => void;

const baseHandler = pgRowDescriptionHandler();

export class CatalogTextClient extends pg.Client {
  _handleRowDescription(msg: RowDescription): void {
    for (const field of msg.fields) {
      if (CATALOG_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    baseHandler.call(this, msg);
  }
}

function pgRowDescriptionHandler(): RowDescriptionHandler {
  const proto = pg.Client.prototype as unknown as { _handleRowDescription?: RowDescriptionHandler };
  if (typeof proto._handleRowDescription !== 'function') {
    throw new Error('pg.Client internals changed (_handleRowDescription): update catalog-text-client.ts');
  }
  return proto._handleRowDescription;
}

export function catalogTextPool(connectionString: string): pg.Pool {
  return new pg.Pool({ connectionString, Client: CatalogTextClient, max: 4 });
}
