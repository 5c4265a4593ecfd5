import { runApp } from '@onecard/platform';
import { transitValidationApp } from './app.definition';

runApp(transitValidationApp);
