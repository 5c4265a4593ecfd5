import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A registered validator: identity, sealed secret and the remote configuration it is given. */
@Entity('device')
export class DeviceEntity {
  @PrimaryColumn('text', { name: 'device_id' }) deviceId!: string;
  @Column('text', { name: 'enterprise_id' }) enterpriseId!: string;
  @Column('text', { name: 'line_id' }) lineId!: string;
  /** SecretBox-sealed; the server needs it back to check /get_token signatures. */
  @Column('text', { name: 'secret_sealed' }) secretSealed!: string;
  /** Bumped when the secret is rotated: tokens of an earlier generation stop working. */
  @Column('int', { name: 'token_gen' }) tokenGen!: number;
  @Column('smallint', { name: 'check_mode' }) checkMode!: number;
  @Column('smallint', { name: 'check_card_mode' }) checkCardMode!: number;
  @Column('smallint', { name: 'qrcode_mode' }) qrcodeMode!: number;
  @Column('smallint', { name: 'card_mode' }) cardMode!: number;
  @Column('smallint', { name: 'white_mode' }) whiteMode!: number;
  @Column('smallint', { name: 'is_line_white' }) isLineWhite!: number;
  @Column('time', { name: 'check_start_time', nullable: true }) checkStartTime!: string | null;
  @Column('time', { name: 'check_end_time', nullable: true }) checkEndTime!: string | null;
  /** Seconds between heartbeats this device is told; null: its line's, else TRANSIT_REPORT_INTERVAL_S. */
  @Column('int', { name: 'heartbeat_interval', nullable: true }) heartbeatInterval!: number | null;
  /** Set while an operator has taken the device out of service: its tokens are refused and it gets no new one. */
  @Column('timestamptz', { name: 'disabled_at', nullable: true }) disabledAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
