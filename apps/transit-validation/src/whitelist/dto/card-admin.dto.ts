import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class UpsertCardDto {
  @ApiProperty({ description: 'physical card id as validators read it (letters/digits; spaces ignored, upper-cased)', example: '04A1B2C3' })
  @MaxLength(64) @IsString() card_no!: string;
  @ApiProperty({ description: '1 valid, 0 invalid (blacklisted)', enum: [0, 1] }) @IsIn([0, 1], { message: 'flag must be 0 or 1' }) flag!: 0 | 1;
  @ApiPropertyOptional({ description: 'lines the card is on (line whitelist); [] none; omitted keeps the current ones', type: [String] })
  @IsOptional() @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { each: true, message: 'line_ids must be line ids (letters, digits, _ . : -)' }) @ArrayMaxSize(100) @IsArray()
  line_ids?: string[];
}

export class CardNoParam {
  @MaxLength(64) @IsString() card_no!: string;
}
