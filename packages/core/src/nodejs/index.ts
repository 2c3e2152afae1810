/**
 * @faultline/core/node: the Node.js-only part of Faultline (worker-thread sweeps, report files, CLI helpers).
 * The engine itself (`@faultline/core`) stays browser-safe.
 * @packageDocumentation
 */
export {};
