// The app's API: the client (request, errors, token) and the shared wire types. Each capability's
// calls are in their own module: accounts.ts, directory.ts, scheduling.ts,
// consultation.ts, healthcode.ts, nattest.ts, homecare.ts, triage.ts, drugs.ts, prescriptions.ts.
export * from './client';
export * from './types';
