import { runApp } from '@onecard/platform';
import { wageAttendanceApp } from './app.definition';

runApp(wageAttendanceApp);
