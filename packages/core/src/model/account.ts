import type { z } from "zod";
import { strictFields, tolerantFields, type FieldKit } from "./fields.js";
import { entityInfoShape } from "./session.js";

function buildAccountSchemas(f: FieldKit) {
  const BillingItem = f.object({
    baseCost: f.number("Base cost"),
    rawUnitMultiplier: f.number("Raw unit multiplier"),
    unitCost: f.number("Cost per unit"),
    allowance: f.int("Units included"),
  });
  const item = (d: string) => f.nested(BillingItem, d);
  const BillingSettings = f.object({
    base: item("Base charge"),
    localNumbers: item("Local numbers"),
    tollFreeNumbers: item("Toll-free numbers"),
    inboundVoiceCalls: item("Inbound voice calls"),
    outboundVoiceCalls: item("Outbound voice calls"),
    inboundFaxes: item("Inbound faxes"),
    outboundFaxes: item("Outbound faxes"),
    inboundSmsMessages: item("Inbound SMS messages"),
    outboundSmsMessages: item("Outbound SMS messages"),
  });
  const AccountInfo = f.object({
    ...entityInfoShape(f),
    name: f.string("The name of this account"),
    parentAccountId: f.string("The ID of this account's parent"),
    twilioAccountSid: f.string("The twilio account SID"),
    ancestorIds: f.arrayOf(
      f.string() as z.ZodType<string>,
      "The ancestors of this account. Useful for breadcrumbs",
    ),
    maxPhoneNumbers: f.int("The max number of phone numbers this account can have"),
    isBYOA: f.boolean("This account is BYOA"),
    trustHubProfileSid: f.string("TrustHub Profile Sid"),
    logoId: f.string("The ID of the logo file"),
    logoUri: f.string("The URI of the logo file"),
    billingSettings: f.nested(BillingSettings, "The billing settings for this account"),
  });
  return { BillingItem, BillingSettings, AccountInfo };
}

const tolerant = buildAccountSchemas(tolerantFields);
const strict = buildAccountSchemas(strictFields);

/** Price and allowance of one billable item. */
export const BillingItemSchema = tolerant.BillingItem;
/** An account's billing settings. */
export const BillingSettingsSchema = tolerant.BillingSettings;
/** An Evo Voice account (the seed's AccountInfo). */
export const AccountInfoSchema = tolerant.AccountInfo;
/** AccountInfo to the letter of the seed, for drift checks. */
export const StrictAccountInfoSchema = strict.AccountInfo;

/** Price and allowance of one billable item; every field may be missing or null. */
export type BillingItem = z.infer<typeof BillingItemSchema>;
/** An account's billing settings, one BillingItem per kind of usage. */
export type BillingSettings = z.infer<typeof BillingSettingsSchema>;
/** An Evo Voice account (the seed's AccountInfo); every field may be missing or null. */
export type AccountInfo = z.infer<typeof AccountInfoSchema>;
