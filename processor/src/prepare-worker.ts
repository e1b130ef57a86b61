/** A prepare thread: decodes, validates, enriches and serializes message values (prepare-pool). */
import { parentPort } from 'node:worker_threads';
import { type PrepareRequest, prepareRequest } from './prepare-batch.js';

const port = parentPort;
if (port === null) throw new Error('prepare-worker runs as a worker thread only');
port.on('message', (request: PrepareRequest) => {
  const response = prepareRequest(request);
  port.postMessage(response, [
    response.eventBytes.buffer,
    response.eventEnds.buffer,
    response.counts.buffer,
  ]);
});
