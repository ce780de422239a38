// The array job's completion notice (AWS Batch User Guide, array job events): EventBridge invokes this
// function once, with the parent's final "Batch Job State Change" event; the parent's
// arrayProperties.statusSummary counts how its children ended.
'use strict';

exports.handler = async (event) => {
  const job = event.detail;
  const summary = (job.arrayProperties && job.arrayProperties.statusSummary) || {};
  const report = {
    jobId: job.jobId,
    jobName: job.jobName,
    status: job.status,
    size: job.arrayProperties ? job.arrayProperties.size : undefined,
    succeeded: summary.SUCCEEDED || 0,
    failed: summary.FAILED || 0,
  };
  console.log(
    `array job ${report.jobName} (${report.jobId}) ${report.status}: ` +
      `${report.succeeded} of ${report.size} children succeeded, ` +
      `${report.failed} failed`,
  );
  return report;
};
