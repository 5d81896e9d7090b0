// A stand-in for the extension host: starts one command source and reports the
// program's pid on stdout ("pid <n>"), then lives until it is killed. Run with
// `node --import tsx test/unit/helpers/commandHost.ts '<source spec JSON>'`.
import { SystemClock } from '../../../src/core/clock';
import { CommandSource, commandSourceFactory } from '../../../src/core/sources/command';
import { RecordingSink } from '../../helpers-sources/util';

const spec = JSON.parse(process.argv[process.argv.length - 1]!);
const resources = { sockets: 0, processes: 0, watchers: 0 };
const src = commandSourceFactory()(spec, { clock: new SystemClock(), workspaceTrusted: true, resources }) as CommandSource;
const sink = new RecordingSink();
src.start(sink);
const timer = setInterval(() => {
  // Once the program is ready (it printed "ready:1"), say who it is and what it started.
  if (src.processId !== undefined && sink.values('ready').length > 0) {
    clearInterval(timer);
    process.stdout.write(`pid ${src.processId} ${sink.values('gpid').join(' ')}\n`);
  }
}, 10);
setInterval(() => src.tick(Date.now(), 100), 250);
