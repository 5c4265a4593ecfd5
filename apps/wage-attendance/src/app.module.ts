import { Module } from '@nestjs/common';
import { AuthorisationsModule } from './authorisations/authorisations.module';
import { CallbacksModule } from './callbacks/callbacks.module';
import { CardsModule } from './cards/cards.module';
import { CommonModule } from './common/common.module';
import { DevicesModule } from './devices/devices.module';
import { PersonsModule } from './persons/persons.module';
import { RecognitionModule } from './recognition/recognition.module';

/** wage-attendance's features. */
@Module({ imports: [CommonModule, CallbacksModule, DevicesModule, PersonsModule, AuthorisationsModule, RecognitionModule, CardsModule] })
export class AppModule {}
