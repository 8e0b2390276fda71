/**
 * Preloaded (node --require) into the imbridge instances test/support/cluster.ts starts: fd 3 is a
 * pipe from the test process, and its end means that process is gone (finished without stopping the
 * instance, crashed, killed), so the instance goes too instead of living on as an orphan. Changes
 * nothing else in the service. Plain JavaScript: node loads it before anything is compiled.
 */
'use strict';
const { Socket } = require('node:net');

const lifeline = new Socket({ fd: 3, readable: true, writable: false });
const orphaned = () => process.kill(process.pid, 'SIGKILL');
lifeline.on('end', orphaned);
lifeline.on('error', orphaned);
lifeline.resume();
// It must not keep the instance alive on its own: a SIGTERM'd instance exits as it would without it.
lifeline.unref();
