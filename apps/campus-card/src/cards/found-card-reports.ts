import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { adminPage, AdminPage, PageWindow } from '@onecard/platform';
import { wireTime } from '../common/wire-format';
import { CampusCardConfig } from '../config';

/** `GET /admin/found-cards`: 提交拾卡信息 reports, newest first (optionally of one card). */
@Injectable()
export class FoundCardReports {
  constructor(
    private readonly db: DataSource,
    private readonly config: CampusCardConfig,
  ) {}

  async list(cardNo: string | undefined, window: PageWindow): Promise<AdminPage<object>> {
    const params = [cardNo ?? null];
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM found_card_report WHERE ($1::text IS NULL OR card_no = $1)`, params);
    const rows = await this.db.query(
      `SELECT * FROM found_card_report WHERE ($1::text IS NULL OR card_no = $1) ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [...params, window.limit, window.offset],
    );
    const zone = this.config.WIRE_TIME_ZONE;
    return adminPage(
      window,
      total,
      rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        cardNo: r.card_no,
        name: r.name,
        code: r.code,
        msg: r.msg,
        photo: r.photo,
        clientId: r.client_id,
        reportedAt: wireTime(r.reported_at as Date, zone),
      })),
    );
  }
}
