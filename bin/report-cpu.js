"use strict";
/**
 * For `llmops bench`: a process started with `--require` of this file appends the CPU time it
 * used (user + system, microseconds) to the file named by LLMOPS_BENCH_CPU when it exits. The
 * variable and NODE_OPTIONS reach the workers a command forks, so a command's line count is its
 * processes and their sum its whole CPU time: on a shared machine, far steadier than wall time.
 */
const file = process.env.LLMOPS_BENCH_CPU;
if (file) {
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    require("node:fs").appendFileSync(file, `${user + system}\n`);
  });
}
