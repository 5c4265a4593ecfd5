import { runApp } from '@onecard/platform';
import { cardIssuanceApp } from './app.definition';

runApp(cardIssuanceApp);
