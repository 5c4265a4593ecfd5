// The terminals of `npm run bench:attendance`, in a worker thread (signing is per request, so the
// shared generator's templated bodies do not fit): one slice of load per message.
import { parentPort } from 'node:worker_threads';
import { identifyLoad, Terminal } from './load';

export interface SliceRequest {
  url: string;
  terminals: Terminal[];
  label: string;
  seconds: number;
}

parentPort?.on('message', (request: SliceRequest) => {
  identifyLoad(request.url, request.terminals, request.label, request.seconds).then(
    (result) => parentPort!.postMessage(result),
    (error: Error) => parentPort!.postMessage({ error: error.stack ?? String(error) }),
  );
});
