export { buildCallLog, type CallLog, type NamedCall } from './callLog.ts';
export { matchBillPayments, type BillPayment } from './billPayments.ts';
export { monthlySpending } from './spending.ts';
export { mashupRoutes } from './routes.ts';
export { occurrencesBetween, type Occurrence } from './calendar.ts';
