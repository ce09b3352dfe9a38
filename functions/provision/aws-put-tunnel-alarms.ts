import { putTunnelAlarms } from '../../src/workflow/alarms';
import { alarmStep } from '../lib/alarm-step';

export const handler = alarmStep(putTunnelAlarms);
