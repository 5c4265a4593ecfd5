import { runApp } from '@onecard/platform';
import { campusCardApp } from './app.definition';

runApp(campusCardApp);
