/** V8 runs its garbage collector on the JavaScript thread only, with no helper threads. */
export declare const SINGLE_THREADED_GC = "--single-threaded-gc";
/** The values FAULTLINE_GC accepts. */
export declare const GC_MODES: readonly string[];
/** The extra Node flags for a `faultline` command line (see node-flags.js). */
export declare function nodeFlagsFor(args: readonly string[], cores: number, env: Record<string, string | undefined>): string[];
