/**
 * The operations sessions point to (OPERATIONS.md): accounts, customers, endpoints, flows and
 * the calls live right now. Lists page like sessions (the same paging, retries and errors) and
 * can be iterated; each `get…` answers one by ID and throws NotFoundError for an unknown one.
 */
import {
  decodeAccountList,
  decodeCallsBody,
  decodeCustomer,
  decodeCustomerList,
  decodeEndpoint,
  decodeEndpointList,
  decodeFlow,
  decodeFlowList,
  type BodyDecoder,
} from "../model/directory-decode.js";
import { decodeAccount } from "../model/decode.js";
import type { ListResponse } from "../model/list.js";
import { ListQuery, type ListPaging } from "../query/list-query.js";
import { pageOf, type ApiCore } from "./api-core.js";
import type { Deadline } from "./deadline.js";
import { itemsOf, paginatePages, type Identified, type ListPage } from "./paging.js";
import { requireId } from "./sessions-api.js";
import type { CallOptions, PaginateOptions, PagingDriftEvent } from "./types.js";

/** ListAccounts' filters. */
export interface AccountFilters extends ListPaging {
  nameFilter?: string;
}

/** ListCustomers' filters. */
export interface CustomerFilters extends ListPaging {
  accountIds?: readonly string[];
  nameFilter?: string;
  parentCustomerIds?: readonly string[];
  /** Direct children of parentCustomerIds only. */
  shallowParent?: boolean;
  /** Customers carrying all these tags. */
  tagIds?: readonly string[];
}

/** ListEndpoints' filters. */
export interface EndpointFilters extends ListPaging {
  accountIds?: readonly string[];
  customerIds?: readonly string[];
  nameFilter?: string;
  phoneNumberFilter?: string;
  /** e.g. User, PhoneNumber, Team (EndpointTypes; only User is verified). */
  type?: string;
  types?: readonly string[];
  flowIds?: readonly string[];
  tagIds?: readonly string[];
  shallowParent?: boolean;
  userMode?: string;
  sipUserName?: string;
}

/** ListFlows' filters. */
export interface FlowFilters extends ListPaging {
  accountIds?: readonly string[];
  customerIds?: readonly string[];
  nameFilter?: string;
  tagIds?: readonly string[];
  role?: string;
}

/** One list operation: its path and body decoder. */
interface ListOperation<T> {
  path: string;
  decode: BodyDecoder<ListResponse<T>>;
}

const ACCOUNTS = { path: "/accounts", decode: decodeAccountList };
const CUSTOMERS = { path: "/customers", decode: decodeCustomerList };
const ENDPOINTS = { path: "/endpoints", decode: decodeEndpointList };
const FLOWS = { path: "/flows", decode: decodeFlowList };
const LIST_EXPECTED = "a ListResponse object (items, totalCount, totalPages, hasMorePages)";

/** Pages, iterates and looks up one item of the list operations. */
function listHelpers(core: ApiCore) {
  async function listPage<T extends Identified>(
    operation: ListOperation<T>,
    query: ListQuery,
    callOptions: CallOptions,
    deadline: Deadline | undefined = core.deadlineFor(callOptions),
  ): Promise<ListPage<T>> {
    const request = { ...operation, query: query.toQueryString(), expected: LIST_EXPECTED };
    const { value, warnings } = await core.get(request, callOptions, deadline);
    return pageOf(value, query.params.page ?? 0, warnings);
  }

  function iterate<T extends Identified>(
    operation: ListOperation<T>,
    filters: object,
    options: PaginateOptions,
  ): AsyncGenerator<T, void, undefined> {
    let deadline: Deadline | undefined;
    const fetch = (query: ListQuery, signal: AbortSignal) => {
      deadline ??= core.deadlineFor(options);
      return listPage(operation, query, { signal }, deadline);
    };
    const onDrift = (event: PagingDriftEvent) => core.config.hooks.onPagingDrift(event);
    return itemsOf(paginatePages(fetch, ListQuery.of(filters), options, onDrift));
  }

  async function getOne<T>(
    path: string,
    id: string,
    decode: BodyDecoder<T>,
    what: string,
    callOptions: CallOptions,
  ): Promise<T> {
    const safeId = encodeURIComponent(requireId(`${what}Id`, id));
    const request = { path: `${path}/${safeId}`, decode, expected: `a ${what}` };
    return (await core.get(request, callOptions)).value;
  }

  const lister =
    <T extends Identified, F extends object>(operation: ListOperation<T>) =>
    (filters: F = {} as F, callOptions: CallOptions = {}) =>
      listPage(operation, ListQuery.of(filters), callOptions);
  const iterator =
    <T extends Identified, F extends object>(operation: ListOperation<T>) =>
    (filters: F = {} as F, options: PaginateOptions = {}) =>
      iterate(operation, filters, options);
  return { lister, iterator, getOne };
}

/** The directory operations of a client. */
export function directoryApi(core: ApiCore) {
  const { lister, iterator, getOne } = listHelpers(core);
  type Account = ListResponseItem<typeof ACCOUNTS>;
  type Customer = ListResponseItem<typeof CUSTOMERS>;
  type Endpoint = ListResponseItem<typeof ENDPOINTS>;
  type Flow = ListResponseItem<typeof FLOWS>;
  return {
    listAccounts: lister<Account, AccountFilters>(ACCOUNTS),
    iterateAccounts: iterator<Account, AccountFilters>(ACCOUNTS),
    getAccount: (id: string, o: CallOptions = {}) =>
      getOne("/accounts", id, decodeAccount, "account", o),
    listCustomers: lister<Customer, CustomerFilters>(CUSTOMERS),
    iterateCustomers: iterator<Customer, CustomerFilters>(CUSTOMERS),
    getCustomer: (id: string, o: CallOptions = {}) =>
      getOne("/customers", id, decodeCustomer, "customer", o),
    listEndpoints: lister<Endpoint, EndpointFilters>(ENDPOINTS),
    iterateEndpoints: iterator<Endpoint, EndpointFilters>(ENDPOINTS),
    getEndpoint: (id: string, o: CallOptions = {}) =>
      getOne("/endpoints", id, decodeEndpoint, "endpoint", o),
    listFlows: lister<Flow, FlowFilters>(FLOWS),
    iterateFlows: iterator<Flow, FlowFilters>(FLOWS),
    getFlow: (id: string, o: CallOptions = {}) => getOne("/flows", id, decodeFlow, "flow", o),
    /** Calls in progress on an account (GetActiveCalls; Manager, SystemAdministrator or CallCenterDashboard). */
    activeCalls: async (accountId: string, callOptions: CallOptions = {}) => {
      const query = new URLSearchParams({ accountId: requireId("accountId", accountId) });
      const request = {
        path: "/calls/active",
        query: query.toString(),
        decode: decodeCallsBody,
        expected: "{ calls: [...] }",
      };
      return (await core.get(request, callOptions)).value;
    },
  };
}

type ListResponseItem<O> = O extends ListOperation<infer T> ? T : never;
