import { IsOptional } from 'class-validator';
import { RequiredString, RequiredUserCode } from '../../common/validators';

/** POST /admin/users: a cardholder (学工号, name, organisation, type) and their passwords. */
export class CreateUserDto {
  @RequiredUserCode()
  userCode: string;

  @RequiredString(64)
  name: string;

  /** Organisation name (the document's `organize.name`). */
  @IsOptional() @RequiredString(128, 0)
  organize?: string;

  /** canvas.profile userType, e.g. student, faculty. */
  @IsOptional() @RequiredString(32, 0)
  userType?: string;

  /** Login password for the authorization-code flow; without one the user cannot log in. */
  @IsOptional() @RequiredString(128, 6)
  password?: string;

  /** Query password (查询密码) every card opened for this user starts with. */
  @RequiredString(32, 4)
  queryPassword: string;
}
