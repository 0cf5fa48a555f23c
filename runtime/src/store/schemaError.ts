/** A refusal to open the database that the person at the console must read: hearthd exits with it. */
export class SchemaError extends Error {}
