import type { Operation } from "@faultline/core";

/**
 * Sessions written as strings: "wx1" writes 1 to key x, "rx0" reads 0 from x; a trailing "?" makes a
 * write of unknown outcome (info), a trailing "!" a failed operation. Times: each session's ops in order;
 * sessions interleave by position (op i of every session at time 10 i + session index).
 */
export function sessions(spec: Record<string, string[]>): Operation[] {
  const ops: Operation[] = [];
  Object.entries(spec).forEach(([process, list], s) => {
    list.forEach((text, i) => {
      const m = /^([rw])([a-z])(-?\d+)([?!]?)$/.exec(text);
      if (m === null) throw new Error(`bad op ${text}`);
      const [, rw, key, v, mark] = m as unknown as [string, string, string, string, string];
      const value = Number(v);
      const type: Operation["type"] = mark === "?" ? "info" : mark === "!" ? "fail" : "ok";
      const t = 10 * i + s;
      ops.push({
        opId: ops.length, process, f: rw === "w" ? "write" : "read", key, input: rw === "w" ? value : null,
        output: type !== "ok" ? undefined : rw === "w" ? null : value, type, invokeUs: t, completeUs: type === "info" ? Infinity : t + 5,
      });
    });
  });
  return ops;
}
