import { appendReport, contractRecorder, describeViolations, type ContractViolation } from '../support/contract-recorder';
import { TEST_ENV } from '../support/test-environment';

// Runs in every test file (jest.config.js, setupFilesAfterEnv): a test fails when any answer it
// received, from an in-process test app or a test server process, differs from docs/openapi.json.
// Answers sent during beforeAll count against the first test; those sent in afterAll fail the file.

function failOn(violations: ContractViolation[]): void {
  if (violations.length > 0) throw new Error(describeViolations(violations));
}

afterEach(() => {
  const violations = contractRecorder.take();
  contractRecorder.failedWith(violations);
  failOn(violations);
});

afterAll(() => {
  contractRecorder.close();
  const violations = contractRecorder.take();
  contractRecorder.failedWith(violations);
  const reportFile = process.env[TEST_ENV.contractReportFile];
  if (reportFile) appendReport(reportFile, contractRecorder.report(expect.getState().testPath ?? 'unknown'));
  failOn(violations);
});
