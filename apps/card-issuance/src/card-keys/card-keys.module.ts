import { Module } from '@nestjs/common';
import { CardKeyring } from './card-keyring';

@Module({ providers: [CardKeyring], exports: [CardKeyring] })
export class CardKeysModule {}
