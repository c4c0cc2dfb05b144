/**
 * A test kit for Product OS source modules: an in-memory store and a harness that mounts a
 * module's routes over it, with the host's ingest tail.
 *
 * @packageDocumentation
 */
export * from './createIngestHarness';
export * from './mockSourceContext';
export * from './MockIngestStore';
