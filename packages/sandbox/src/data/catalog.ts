import type { BillingItem, BillingSettings } from "../wire/dto.js";
import type { AccountFields } from "./model.js";
import type { DemoUser } from "../types.js";

// Accounts and demo users are fixed (independent of the seed) so that other packages' tests
// and the quickstart can name them; customers, endpoints and sessions vary with the seed.

/** IDs of the sandbox's accounts, by what they stand for. */
export const SANDBOX_ACCOUNT_IDS = {
  northwindMsp: "5b1f0c2a9e7d4c3b8a6f1e2d3c4b5a60",
  acmeDental: "a3c9e1f27b5d4e6f8091a2b3c4d5e6f1",
  brightsideRealty: "b7d2f4a61c3e4b5d9f0e1a2b3c4d5e62",
  harborLegal: "c4e6a8b02d1f4a3c8e5b7d9f1a2c3e63",
  summitPlumbing: "d8f0b2c46e3a4d5f9b1c3e5a7d9f1b64",
  evoInternalQa: "e2a4c6d89f1b4e3d8c5a7f9b1d3e5c65",
} as const;

const ids = SANDBOX_ACCOUNT_IDS;

interface AccountSeed {
  id: string;
  name: string;
  parentAccountId?: string;
  /** Share of generated sessions. */
  weight: number;
  twilioSuffix: string;
  /** Area-code-like block after +1555, so each account's numbers look related. */
  numberBlock: string;
}

/** The fixed accounts: an MSP with three client accounts, and two standalone ones. */
export const ACCOUNT_SEEDS: readonly AccountSeed[] = [
  {
    id: ids.northwindMsp,
    name: "Northwind MSP",
    weight: 1,
    twilioSuffix: "0a1",
    numberBlock: "01",
  },
  {
    id: ids.acmeDental,
    name: "Acme Dental Group",
    parentAccountId: ids.northwindMsp,
    weight: 4,
    twilioSuffix: "0b2",
    numberBlock: "21",
  },
  {
    id: ids.brightsideRealty,
    name: "Brightside Realty",
    parentAccountId: ids.northwindMsp,
    weight: 3,
    twilioSuffix: "0c3",
    numberBlock: "34",
  },
  {
    id: ids.harborLegal,
    name: "Harbor Legal LLP",
    parentAccountId: ids.northwindMsp,
    weight: 2,
    twilioSuffix: "0d4",
    numberBlock: "47",
  },
  {
    id: ids.summitPlumbing,
    name: "Summit Plumbing & Heating",
    weight: 3,
    twilioSuffix: "0e5",
    numberBlock: "62",
  },
  {
    id: ids.evoInternalQa,
    name: "Evo Internal QA",
    weight: 1,
    twilioSuffix: "0f6",
    numberBlock: "88",
  },
];

function billingItem(baseCost: number, unitCost: number, allowance: number): BillingItem {
  return { baseCost, rawUnitMultiplier: 1, unitCost, allowance };
}

const STANDARD_BILLING: BillingSettings = {
  base: billingItem(25, 0, 0),
  localNumbers: billingItem(0, 1.5, 2),
  tollFreeNumbers: billingItem(0, 2.5, 0),
  inboundVoiceCalls: billingItem(0, 0.0125, 1000),
  outboundVoiceCalls: billingItem(0, 0.018, 500),
  inboundFaxes: billingItem(0, 0.05, 50),
  outboundFaxes: billingItem(0, 0.07, 50),
  inboundSmsMessages: billingItem(0, 0.0079, 500),
  outboundSmsMessages: billingItem(0, 0.0079, 500),
};

/** The accounts as AccountInfo, ancestors first-to-last. */
export function buildAccounts(): AccountFields[] {
  return ACCOUNT_SEEDS.map((seed, index) => {
    const account: AccountFields = {
      id: seed.id,
      dateCreated: new Date(Date.UTC(2023, index, 10 + index, 15, 4, 12)).toISOString(),
      dateLastModified: new Date(Date.UTC(2025, index, 2 + index, 9, 30, 0)).toISOString(),
      createdBy: "system",
      lastModifiedBy: "system",
      name: seed.name,
      twilioAccountSid: `AC${seed.id.slice(0, 29)}${seed.twilioSuffix}`,
      ancestorIds: seed.parentAccountId === undefined ? [] : [seed.parentAccountId],
      maxPhoneNumbers: seed.parentAccountId === undefined ? 100 : 25,
      isBYOA: seed.id === ids.evoInternalQa,
      billingSettings: STANDARD_BILLING,
    };
    if (seed.parentAccountId !== undefined) account.parentAccountId = seed.parentAccountId;
    if (seed.id === ids.acmeDental) {
      account.trustHubProfileSid = `BU${seed.id}`;
      account.logoId = "f1e2d3c4b5a697887766554433221100";
      account.logoUri = "https://evovoice.io/files/f1e2d3c4b5a697887766554433221100/logo.png";
    }
    return account;
  });
}

/** Password of every demo user is `<userName>-password`. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    userName: "demo",
    password: "demo-password",
    displayName: "Dana Demo",
    kind: "single",
    accountIds: [ids.acmeDental],
    userId: "1001",
    emailAddress: "demo@example.com",
    roles: ["User", "Manager"],
    firstName: "Dana",
    lastName: "Demo",
  },
  {
    userName: "msp",
    password: "msp-password",
    displayName: "Morgan Reyes (MSP)",
    kind: "multi",
    accountIds: [ids.northwindMsp, ids.acmeDental, ids.brightsideRealty, ids.harborLegal],
    userId: "1002",
    emailAddress: "msp@example.com",
    roles: ["Manager", "CallCenterDashboard"],
    firstName: "Morgan",
    lastName: "Reyes",
  },
  {
    userName: "admin",
    password: "admin-password",
    displayName: "Alex Admin",
    kind: "admin",
    accountIds: ACCOUNT_SEEDS.map((seed) => seed.id),
    userId: "1000",
    emailAddress: "admin@example.com",
    roles: ["Admin", "SystemAdministrator"],
    firstName: "Alex",
    lastName: "Admin",
  },
  // Users whose roles limit what they may read (OPERATIONS.md's roles), after the three above so
  // that finding the first user of a kind still finds demo, msp or admin.
  {
    userName: "agent",
    password: "agent-password",
    displayName: "Avery Agent",
    kind: "single",
    accountIds: [ids.acmeDental],
    userId: "1003",
    emailAddress: "agent@example.com",
    roles: ["User"],
    firstName: "Avery",
    lastName: "Agent",
  },
  {
    userName: "customer",
    password: "customer-password",
    displayName: "Casey Customer",
    kind: "single",
    accountIds: [ids.acmeDental],
    userId: "1004",
    emailAddress: "customer@example.com",
    roles: ["Customer"],
    firstName: "Casey",
    lastName: "Customer",
  },
  {
    userName: "wallboard",
    password: "wallboard-password",
    displayName: "Brightside Wallboard",
    kind: "single",
    accountIds: [ids.brightsideRealty],
    userId: "1005",
    emailAddress: "wallboard@example.com",
    roles: ["CallCenterDashboard"],
    firstName: "Brightside",
    lastName: "Wallboard",
  },
];

/** The single-account demo user (`demo` / `demo-password`). */
export const DEMO_USER = DEMO_USERS[0] as DemoUser;
/** The demo user with several accounts (`msp` / `msp-password`). */
export const MSP_USER = DEMO_USERS[1] as DemoUser;
/** The administrator who sees every account (`admin` / `admin-password`). */
export const ADMIN_USER = DEMO_USERS[2] as DemoUser;

export const FIRST_NAMES = [
  "Jane",
  "John",
  "Maria",
  "David",
  "Aisha",
  "Wei",
  "Carlos",
  "Priya",
  "Liam",
  "Olivia",
  "Noah",
  "Emma",
  "Mateo",
  "Sofia",
  "Ethan",
  "Grace",
  "Omar",
  "Hannah",
  "Lucas",
  "Chloe",
  "Ravi",
  "Nora",
  "Diego",
  "Ava",
  "Samuel",
  "Mei",
  "Isaac",
  "Zoe",
  "Felix",
  "Leah",
] as const;

export const LAST_NAMES = [
  "Doe",
  "Smith",
  "Garcia",
  "Nguyen",
  "Patel",
  "Johnson",
  "Kim",
  "Brown",
  "Martinez",
  "Lee",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Thompson",
  "White",
  "Lopez",
  "Clark",
  "Lewis",
  "Walker",
  "Hall",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Baker",
] as const;

export const CITY_CALLER_NAMES = [
  "WIRELESS CALLER",
  "DALLAS TX",
  "SEATTLE WA",
  "AUSTIN TX",
  "DENVER CO",
  "BOSTON MA",
  "PHOENIX AZ",
  "MIAMI FL",
  "CHICAGO IL",
  "PORTLAND OR",
] as const;

export const CUSTOMER_NAMES: Record<string, readonly string[]> = {
  [ids.northwindMsp]: [
    "Northwind Service Desk",
    "Northwind Field Ops",
    "Tier 2 Escalations",
    "After-hours On-call",
  ],
  [ids.acmeDental]: [
    "Acme Dental",
    "Downtown Clinic",
    "Westside Clinic",
    "Westside Pediatrics",
    "Orthodontics Annex",
    "Billing Office",
  ],
  [ids.brightsideRealty]: [
    "Brightside Realty",
    "Residential Sales",
    "Commercial Leasing",
    "Property Management",
    "North Office",
  ],
  [ids.harborLegal]: ["Harbor Legal", "Family Law", "Corporate Practice", "Intake Desk"],
  [ids.summitPlumbing]: [
    "Summit Plumbing",
    "Emergency Dispatch",
    "Residential Service",
    "Commercial Service",
    "Warranty Claims",
  ],
  [ids.evoInternalQa]: ["QA Lab", "Load Tests", "Regression Suite"],
};

export const FLOW_NAMES = [
  "Main IVR",
  "After Hours",
  "Support Line",
  "Sales Line",
  "Front Desk",
  "Overflow",
] as const;
export const QUEUE_NAMES = [
  "Support",
  "Sales",
  "Billing",
  "Scheduling",
  "Dispatch",
  "Front Desk",
] as const;
export const GREETINGS = [
  "Welcome",
  "Holiday Hours",
  "Thank you for calling",
  "Please hold",
] as const;

export const CHAT_INBOUND_LINES = [
  "Hi, are you open on Saturday?",
  "Can I reschedule my appointment to next week?",
  "Is there someone who can call me back?",
  "I need a quote for a repair",
  "What is the address of your office?",
  "Thanks, see you then!",
  "Did you receive my documents?",
  "My invoice looks wrong, can you check?",
  "Running 10 minutes late",
  "Please confirm my booking",
] as const;

export const CHAT_OUTBOUND_LINES = [
  "Hello! Yes, we are open 9-1 on Saturdays.",
  "Sure, which day works best for you?",
  "An agent will call you back shortly.",
  "Thanks for reaching out, we'll send a quote today.",
  "We are at 120 Main Street, Suite 4.",
  "Got it, thank you!",
  "Yes, we received them this morning.",
  "Let me look into that invoice for you.",
  "No problem, see you soon.",
  "Your booking is confirmed.",
] as const;

export const VOICEMAIL_TRANSCRIPTS = [
  "Hi, this is about my appointment tomorrow, please call me back.",
  "Calling to follow up on the quote you sent last week.",
  "Hello, I have a question about my bill.",
  "Please give me a call when you get a chance, thanks.",
  "This is a reminder about the paperwork, call me back.",
] as const;
