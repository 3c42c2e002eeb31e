// Integration and end-to-end tests talk to real servers: give them time.
jest.setTimeout(90_000);
