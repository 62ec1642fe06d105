import type { Scenario } from "./types";

const instance = "VPC02-Private-A-10.2.20.101";

export const cpuAlarm: Scenario = {
  id: "cpu-alarm",
  title: { en: "A CPU alarm fires on VPC02", ko: "VPC02에서 CPU 알람이 울립니다" },
  seed: "000",
  brief: {
    en: `The on-call phone got a CloudWatch notification: CPU is high on ${instance}. Find the alarm, confirm what it measured, find what is eating the CPU inside the instance, stop it, and watch the alarm return to OK.`,
    ko: `당직 휴대폰으로 CloudWatch 알림이 왔습니다. ${instance}의 CPU 사용률이 높습니다. 알람을 찾아 무엇을 측정했는지 확인하고, 인스턴스 안에서 CPU를 쓰는 프로세스를 찾아 멈춘 뒤, 알람이 OK로 돌아오는지 지켜보세요.`,
  },
  hints: [
    { en: "CloudWatch → Alarms: the alarm's graph and history show when and why it fired.", ko: "CloudWatch → 경보에서 그래프와 기록을 보면 언제, 왜 울렸는지 알 수 있습니다." },
    { en: "Session Manager into the instance and run `top`.", ko: "Session Manager로 인스턴스에 접속해 `top`을 실행해 보세요." },
  ],
  inject: [{ kind: "set-os-state", instance, key: "cpuLoad", value: true }],
  solve: [{ kind: "set-os-state", instance, key: "cpuLoad", value: false }],
  checks: [
    {
      id: "vpc02-a-cpu-alarm-watches-the-instance-and-returns-to-ok",
      kind: "alarm",
      alarm: "VPC02-Private-A-10.2.20.101-CPUUtilization-High",
      instance,
      expectState: "OK",
      title: { en: `The CPU alarm watches ${instance} and is back to OK`, ko: `CPU 알람이 ${instance}를 감시하고 있으며 OK 상태로 돌아왔습니다` },
      hint: { en: "An alarm returns to OK by itself once the metric falls below the threshold for the evaluation periods.", ko: "지표가 평가 기간 동안 임계값 아래로 내려가면 알람은 스스로 OK로 돌아옵니다." },
    },
    {
      id: "vpc02-a-cpu-load-stopped",
      kind: "os-state",
      instance,
      expect: { cpuLoad: false },
      title: { en: `Nothing is burning CPU on ${instance}`, ko: `${instance}에서 CPU를 과도하게 쓰는 프로세스가 없습니다` },
      hint: { en: "Which process tops the CPU column, and who started it?", ko: "CPU 사용률 1위 프로세스는 무엇이고, 누가 실행했나요?" },
    },
  ],
};
