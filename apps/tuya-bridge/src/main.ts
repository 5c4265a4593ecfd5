import { runApp } from '@onecard/platform';
import { tuyaBridgeApp } from './app.definition';

runApp(tuyaBridgeApp);
