import type { Scenario } from "./types";

const instance = "VPC02-Private-A-10.2.20.101";
/** LAB_TOPOLOGY.monitoring.cpuAlarm.name */
const alarm = "VPC02-Private-A-10.2.20.101-CPUUtilization-High";

/** Seed 000 (CPU alarm and load test), as a monitoring exercise: find the alarm, the load, stop it. */
export const cpuAlarm: Scenario = {
  id: "cpu-alarm",
  title: { en: "A CPU alarm fires on VPC02", ko: "VPC02에서 CPU 알람이 울립니다" },
  seed: "000",
  brief: {
    en: `The on-call phone got a CloudWatch notification: CPU is high on ${instance}. Find the alarm and what it measured, find what is using the CPU inside the instance, stop it, and watch the alarm return to OK.`,
    ko: `당직 휴대폰으로 CloudWatch 알림이 왔습니다. ${instance} 인스턴스의 CPU 사용률이 높다는 내용입니다. 알람을 찾아 무엇을 측정했는지 확인하고, 인스턴스 안에서 CPU를 쓰고 있는 것을 찾아 멈춘 다음, 알람이 OK로 돌아오는지 지켜보세요.`,
  },
  hints: [
    {
      en: "CloudWatch → Alarms: the alarm's graph and history show when it fired, on which metric and against which threshold.",
      ko: "CloudWatch 콘솔의 경보(Alarms) 메뉴에서 그래프와 기록을 보면 언제, 어떤 지표가, 어떤 임계값을 넘어서 울렸는지 알 수 있습니다.",
    },
    {
      en: "Open a Session Manager shell on the instance and look at its processes sorted by CPU.",
      ko: "Session Manager로 인스턴스에 접속해 CPU 사용률 순으로 프로세스를 살펴보세요.",
    },
  ],
  inject: [{ kind: "set-os-state", instance, key: "cpuLoad", value: true }],
  solve: [{ kind: "set-os-state", instance, key: "cpuLoad", value: false }],
  // The alarm's state changes, not its configuration, and a loaded CPU breaks no path.
  effects: [],
  checks: [
    {
      id: "vpc02-a-cpu-alarm-entered-alarm-during-the-fault",
      kind: "alarm-fired",
      alarm,
      title: {
        en: "The CPU alarm went into ALARM while the load ran (it saw the load)",
        ko: "부하가 실행되는 동안 CPU 알람이 ALARM 상태가 되었습니다(알람이 부하를 감지했습니다)",
      },
      hint: {
        en: "The alarm's History tab lists each change of state and when it happened.",
        ko: "알람의 기록(History) 탭에서 상태가 언제 어떻게 바뀌었는지 확인할 수 있습니다.",
      },
    },
    {
      id: "vpc02-a-cpu-alarm-watches-the-instance-and-returns-to-ok",
      kind: "alarm",
      alarm,
      instance,
      expectState: "OK",
      title: {
        en: `The CPU alarm watches ${instance} and is back to OK`,
        ko: `CPU 알람의 감시 대상이 ${instance} 인스턴스이고, 알람이 OK 상태로 돌아왔습니다`,
      },
      hint: {
        en: "An alarm returns to OK by itself once the metric stays under the threshold for its evaluation periods; it can take a few minutes.",
        ko: "지표가 평가 기간 동안 임계값 아래로 유지되면 알람은 저절로 OK로 돌아옵니다. 몇 분 걸릴 수 있습니다.",
      },
    },
    {
      id: "vpc02-a-cpu-load-stopped",
      kind: "os-state",
      instance,
      expect: { cpuLoad: false },
      title: { en: `Nothing is burning CPU on ${instance}`, ko: `${instance} 인스턴스에서 CPU를 과도하게 쓰는 프로세스가 없습니다` },
      hint: {
        en: "Which process tops the CPU column, and what started it?",
        ko: "CPU 사용률이 가장 높은 프로세스는 무엇이고, 무엇이 그 프로세스를 실행했나요?",
      },
    },
  ],
};
