import type { Connection, Model } from 'mongoose';
import { botConversationModel } from './bot-conversation.js';
import { calendarYearModel } from './calendar-year.js';
import { classifierCorrectionModel } from './classifier-correction.js';
import { classifierModelModel } from './classifier-model.js';
import { counterModel } from './counter.js';
import { departmentModel } from './department.js';
import { gazetteerEntryModel } from './gazetteer-entry.js';
import { incidentModel } from './incident.js';
import { keywordListModel } from './keyword-list.js';
import { malformedPayloadModel } from './malformed-payload.js';
import { messageModel } from './message.js';
import { networkCursorModel } from './network-cursor.js';
import { noticeModel } from './notice.js';
import { publishAttemptModel } from './publish-attempt.js';
import { reportEventModel } from './report-event.js';
import { staffModel } from './staff.js';
import { tenantModel } from './tenant.js';
import { violationModel } from './violation.js';
import { WORK_KINDS, deadLetterModel, workItemModel } from './work-item.js';
import { activityModel, inboxModel, numberMonthModel, repeatLogModel, termMarkModel, watchSlotModel } from './bookkeeping.js';

/** Every model of the project: their indexes are built at start, before any other work. */
export const MODEL_FACTORIES: ReadonlyArray<(connection: Connection) => Model<any>> = [
  tenantModel,
  departmentModel,
  staffModel,
  keywordListModel,
  gazetteerEntryModel,
  messageModel,
  incidentModel,
  networkCursorModel,
  malformedPayloadModel,
  counterModel,
  ...WORK_KINDS.map((kind) => (connection: Connection) => workItemModel(connection, kind)),
  deadLetterModel,
  termMarkModel,
  watchSlotModel,
  numberMonthModel,
  repeatLogModel,
  activityModel,
  inboxModel,
  publishAttemptModel,
  noticeModel,
  calendarYearModel,
  classifierCorrectionModel,
  classifierModelModel,
  violationModel,
  botConversationModel,
  reportEventModel,
];
