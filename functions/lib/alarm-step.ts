import type { AlarmDeps } from '../../src/workflow/alarms';
import type { ConnRef } from '../../src/workflow/deps';
import { alarmTopicArn, cloudWatchAlarms } from './clients/cloudwatch';
import { recordDeps } from './clients/registry';
import { type Handler, refStep } from './step';

// A step on the tunnel alarms: the records and CloudWatch.

const alarmDeps = (): AlarmDeps => ({ ...recordDeps(), alarms: cloudWatchAlarms, alarmTopicArn: alarmTopicArn() });

export const alarmStep = <O>(fn: (deps: AlarmDeps, ref: ConnRef) => Promise<O>): Handler<O> => refStep(alarmDeps, fn);
