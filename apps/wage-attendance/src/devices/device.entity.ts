import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The document's device state. */
export enum DeviceState {
  /** Created; its terminal has not called yet. */
  UNBOUND = 1,
  /** Its terminal has signed in (a heartbeat or any signed call). */
  BOUND = 2,
  /** Deleted by the platform: the terminal is refused. */
  DISABLED = 3,
}

/** An attendance terminal (the document's device) and its sealed secret. */
@Entity('device')
export class Device {
  @PrimaryColumn({ name: 'device_key', type: 'text' }) deviceKey: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) tag: string;
  @Column({ type: 'smallint' }) state: DeviceState;
  /** SecretBox-sealed HMAC secret; shown once at creation, never again. */
  @Column({ name: 'secret_sealed', type: 'text', select: false }) secretSealed: string;
  @Column({ name: 'version_no', type: 'text', nullable: true }) versionNo: string | null;
  @Column({ name: 'last_active_at', type: 'timestamptz', nullable: true }) lastActiveAt: Date | null;
  /** The onlineState last published (device.status-changed); /device/query computes its own at read time. */
  @Column({ type: 'boolean' }) online: boolean;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt: Date | null;
}
