/** The auth, onboarding, invitation and shopper suites name the shared assertion `problemOf`. */
export { expectCode as problemOf, issuePaths, type ProblemBody } from "./problems";
