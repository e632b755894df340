#include "windows/job.h"

namespace cordon::windows {

Result<UniqueHandle> CreateSandboxJob(const winplan::JobLimits& l) {
  UniqueHandle job(CreateJobObjectW(nullptr, nullptr));
  if (!job) return LastError("CreateJobObject");
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION info{};
  info.BasicLimitInformation.LimitFlags = l.limit_flags;
  info.BasicLimitInformation.ActiveProcessLimit = l.active_processes;
  info.ProcessMemoryLimit = static_cast<SIZE_T>(l.process_memory);
  info.JobMemoryLimit = static_cast<SIZE_T>(l.job_memory);
  if (!SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &info, sizeof info)) {
    return LastError("setting the job's limits");
  }
  JOBOBJECT_BASIC_UI_RESTRICTIONS ui{l.ui_restrictions};
  if (!SetInformationJobObject(job.get(), JobObjectBasicUIRestrictions, &ui, sizeof ui)) {
    return LastError("setting the job's UI restrictions");
  }
  if (l.cpu_rate > 0) {
    JOBOBJECT_CPU_RATE_CONTROL_INFORMATION cpu{};
    cpu.ControlFlags = JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP;
    cpu.CpuRate = l.cpu_rate;
    if (!SetInformationJobObject(job.get(), JobObjectCpuRateControlInformation, &cpu, sizeof cpu)) {
      return LastError("setting the job's CPU rate (limits.cpus)");
    }
  }
  return job;
}

ResourceUsage JobUsage(HANDLE job) {
  ResourceUsage u;
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acct{};
  if (QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &acct, sizeof acct, nullptr)) {
    u.cpu_user = static_cast<double>(acct.TotalUserTime.QuadPart) / 1e7;  // 100 ns units
    u.cpu_system = static_cast<double>(acct.TotalKernelTime.QuadPart) / 1e7;
  }
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION ext{};
  if (QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &ext, sizeof ext, nullptr)) {
    u.peak_memory = ext.PeakJobMemoryUsed;
    u.peak_memory_of = "sandbox";
  }
  return u;
}

}  // namespace cordon::windows
