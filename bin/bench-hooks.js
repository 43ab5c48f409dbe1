"use strict";
/**
 * For `llmops bench`, loaded with `--require` through NODE_OPTIONS, so it also reaches the render
 * workers a command forks (Node refuses --cpu-prof in NODE_OPTIONS, hence the inspector here).
 *
 * LLMOPS_BENCH_CPU=file: at exit, append the CPU time this process used (user + system,
 * microseconds); the lines of a command are its processes, their sum its whole CPU time: on a
 * shared machine, far steadier than wall time.
 * LLMOPS_BENCH_PROFILE=dir: profile the process from here to its exit with V8's sampling
 * profiler and write dir/<start time>-<pid>.cpuprofile (the Chrome DevTools format).
 */
const fs = require("node:fs");
const path = require("node:path");

const cpuFile = process.env.LLMOPS_BENCH_CPU;
if (cpuFile) {
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    fs.appendFileSync(cpuFile, `${user + system}\n`);
  });
}

const profileDir = process.env.LLMOPS_BENCH_PROFILE;
if (profileDir) {
  const inspector = require("node:inspector");
  const session = new inspector.Session();
  session.connect();
  // A main-thread session answers synchronously, so the profile can be taken in an exit handler.
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  process.on("exit", () => {
    session.post("Profiler.stop", (err, result) => {
      if (!err) fs.writeFileSync(path.join(profileDir, `${Date.now()}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
