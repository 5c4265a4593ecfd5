import { CardNo, GuidList, HttpUrl, OptionalText, PersonGuid, Phone, RequiredText } from '../../common/fields';

/** 注册人员到平台. The document names the remark `Tag`; `tag` is read when `Tag` is absent. */
export class CreatePersonDto {
  @CardNo() cardNo!: string;
  @RequiredText(20) name!: string;
  @Phone() phone?: string;
  @OptionalText(50) Tag?: string;
  @OptionalText(50) tag?: string;
}

/** 批量删除平台人员. */
export class BatchDeletePersonsDto {
  @GuidList() guids!: string;
}

/** 给平台已有人员注册照片. */
export class RegisterPhotoDto {
  @PersonGuid() guid!: string;
  @HttpUrl(100) photo!: string;
}
