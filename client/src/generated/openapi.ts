// Generated from openapi/openapi.json by openapi-typescript (client/scripts/generate-types.mjs); do not edit.
export interface paths {
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description The process is up; makes no upstream call.
         */
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description The upstream answers SOAP, and there is room for another token's link. An unauthenticated NoOp
         *     is enough: the AUTH_REQUIRED fault it earns proves the server is reachable and speaking SOAP.
         */
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Prometheus metrics in the text exposition format.
         */
        get: operations["MetricsController_scrape"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List open chats with their last message and unread count
         * @description Open chats, their participants (nicknames in rooms), each one's newest message and how many
         *     messages from others came after the reader's marker (`PUT /v1/chats/{thread}/read`).
         */
        get: operations["ChatsController_list"];
        put?: never;
        /**
         * Start a chat with a first message
         * @description Starts a 1:1 chat (or continues the open one with that partner) with a first message.
         */
        post: operations["ChatsController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{thread}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a chat and a page of its history
         * @description A chat's participants and one page of its history, oldest first; 404 `not_found` for an unknown
         *     thread. With `after`, the oldest `limit` messages newer than it (and older than `before`, if
         *     given); otherwise the newest `limit` messages older than `before`, or the newest of all.
         *     `hasMore` says whether more lie beyond the page in that direction: page back with `before` = the
         *     smallest non-zero seq received, forward with `after` = the largest. `limit` counts numbered
         *     messages; an unnumbered one (seq 0, `SYSTEM`) comes with the numbered message after it.
         */
        get: operations["ChatsController_get"];
        put?: never;
        post?: never;
        /**
         * Close a chat
         * @description Closes the chat (leaves the room); a `chatClosed` event follows.
         */
        delete: operations["ChatsController_close"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{thread}/configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a chat's configuration
         * @description A chat's configuration: typed room settings, or `conference: false` for a 1:1 chat.
         */
        get: operations["ChatConfigurationController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a room's settings
         * @description Changes room settings (owners only); a 1:1 chat is a 409 `im.NOT_A_MUC_CHAT`. The `settings` of
         *     a configuration read may be sent back as they are: read-only settings are ignored, and so are
         *     empty values (the IM server cannot clear a setting).
         */
        patch: operations["ChatConfigurationController_update"];
        trace?: never;
    };
    "/v1/chats/{thread}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Invite someone into a chat
         * @description Invites someone; a 1:1 chat becomes a room first (same thread). The invitee gets an `invitation` event.
         */
        post: operations["ChatsController_invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{thread}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a message into a chat
         * @description Sends a message. The answer's `thread` is the real one: if the thread was closed meanwhile, the
         *     IM server starts a new chat. 409 `chat.ADDRESS_UNKNOWN` when the thread's room address is unknown
         *     and `to` is absent.
         */
        post: operations["ChatsController_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{thread}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Mark a chat read up to a message
         * @description Marks the chat read up to `seq` for this token (the IM server keeps no read state; the marker is
         *     the proxy's): later messages from others count as unread in `GET /v1/chats`.
         */
        put: operations["ChatsController_read"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{thread}/typing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Say typing started or stopped
         * @description Typing started or stopped; the other side gets a `typing` event.
         */
        put: operations["ChatsController_typing"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conference-services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List conference services
         * @description The conference services of the account's domain.
         */
        get: operations["ConferenceServicesController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conference-services/{service}/rooms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the public rooms of a conference service
         * @description The public rooms of a service, e.g. `conference.example.com`.
         */
        get: operations["ConferenceServicesController_listRooms"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gateways": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List gateways and registrations
         * @description The interop gateways (Yahoo, MSN …) offered to this account, with its registration on each.
         */
        get: operations["GatewaysController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gateways/{type}/reconnect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reconnect a gateway registration
         * @description Connects again now, re-enabling a registration that was disabled (e.g. after a login elsewhere).
         */
        post: operations["GatewaysController_reconnect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gateways/{type}/registration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Register on a gateway
         * @description Registers the account on the remote network; the connection's progress arrives as `gatewayStatus` events.
         */
        put: operations["GatewaysController_register"];
        post?: never;
        /**
         * Remove a gateway registration
         * @description Removes the registration; removing one that does not exist succeeds too.
         */
        delete: operations["GatewaysController_unregister"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set own presence
         * @description Sets own presence; contacts and this token's event stream see the change.
         */
        put: operations["PresenceController_set"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presence/idle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Mark this client idle or back
         * @description Marks the calling client (its `X-Client-Id`, the same id its socket gave as `?clientId=`) idle or
         *     back. The user shows as away only while every client of the token is idle.
         */
        put: operations["PresenceController_idle"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/privacy-lists/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a privacy list
         * @description Reads a privacy list; `default` is the default list (empty when the user has none).
         */
        get: operations["PrivacyController_get"];
        /**
         * Replace a privacy list
         * @description Replaces a privacy list; `default` writes the default list.
         */
        put: operations["PrivacyController_set"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rooms/{address}/configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a room's configuration
         * @description A room's configuration by address, whether or not this account is in it.
         */
        get: operations["RoomsController_configuration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rooms/{address}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join or create a room
         * @description Enters a room, creating it (with this account as owner) when it does not exist. A new room stays
         *     locked to others until its owner configures it (`PATCH /v1/chats/{thread}/configuration`).
         */
        post: operations["RoomsController_join"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roster": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the roster
         * @description Own presence, contacts with their presence, pending requests and open chats.
         */
        get: operations["RosterController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roster/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a contact
         * @description Adds a contact and asks to see their presence.
         */
        post: operations["RosterController_add"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roster/contacts/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Rename or regroup a contact
         * @description Renames or regroups a contact; 404 `not_found` when the address is not a contact (add it with POST).
         */
        put: operations["RosterController_update"];
        post?: never;
        /**
         * Remove a contact
         * @description Removes a contact and stops seeing its presence. It is gone from `GET /v1/roster` (until added
         *     again), and a `contact` event with `removed: true` tells every client of this session.
         */
        delete: operations["RosterController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roster/requests/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer a subscription request
         * @description Answers someone's request to see our presence.
         */
        post: operations["RosterController_answer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in
         * @description Logs in upstream; the token is the upstream auth token, passed through.
         */
        post: operations["AuthController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Log out
         * @description Ends the upstream session; the token is refused afterwards.
         */
        delete: operations["AuthController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AddContactDto: {
            /**
             * @description The contact's bare address.
             * @example bob@example.com
             */
            address: string;
            /**
             * @description Group names, 1..128 characters each, no commas.
             * @example [
             *       "Friends"
             *     ]
             */
            groups?: string[];
            /**
             * @description Display name.
             * @example Bob
             */
            name?: string;
        };
        AnswerSubscriptionDto: {
            /**
             * @description Also add the requester to this roster; absent is false.
             * @example true
             */
            addToRoster?: boolean;
            /**
             * @description Whether the requester may see this account's presence.
             * @example true
             */
            authorize: boolean;
            /**
             * @description Group names, 1..128 characters each, no commas.
             * @example [
             *       "Friends"
             *     ]
             */
            groups?: string[];
            /**
             * @description Display name.
             * @example Bob
             */
            name?: string;
        };
        ChatConfigurationDto: {
            /** @description A conference room; false for a 1:1 chat, which has no settings. */
            conference: boolean;
            room?: components["schemas"]["ConfigurationRoomDto"];
            /** @description What the server reported, typed; settings it did not report are absent. */
            settings: components["schemas"]["RoomSettingsDto"];
            /**
             * @description The chat; null when a room was read by address without a chat of this account.
             * @example myroom
             */
            thread: string | null;
        };
        ChatDto: {
            /**
             * @description More messages lie beyond this page: newer ones when `after` was given, else older ones.
             * @example false
             */
            hasMore: boolean;
            /** @description One page of the history, oldest first (see `after`, `before` and `limit`). */
            messages: components["schemas"]["ChatMessageDto"][];
            participants: components["schemas"]["ChatParticipantDto"][];
            /** @example chat-alice%example.com-0 */
            thread: string;
        };
        ChatListItemDto: {
            /** @description The chat's newest message, if it has any. */
            lastMessage?: components["schemas"]["ChatMessageDto"];
            participants: components["schemas"]["ContactAddressDto"][];
            /** @example chat-bob%example.com-0 */
            thread: string;
            /**
             * @description Messages from others numbered after the reader's marker (`PUT /v1/chats/{thread}/read`); own messages never count.
             * @example 2
             */
            unread: number;
        };
        ChatMessageDto: {
            /**
             * @description Sender: a bare address (own messages too), a room nickname, or `SYSTEM`.
             * @example bob@example.com
             */
            from: string;
            /** @description Sanitized XHTML fragment, for HTML messages. */
            html?: string;
            /** Format: date-time */
            sentAt: string;
            /**
             * @description From 1, as in `message` events; 0 for messages outside the numbering (from `SYSTEM`).
             * @example 1
             */
            seq: number;
            subject?: string;
            /** @description Plain text; for an HTML message, the text of `html`. */
            text: string;
        };
        ChatParticipantDto: {
            /**
             * @description A bare address in 1:1 chats (where only the partner is listed), the nickname in rooms.
             * @example bob@example.com
             */
            address: string;
            /** @enum {string} */
            affiliation?: "owner" | "admin" | "member" | "outcast" | "none";
            /** @description This account's own occupant entry (rooms). */
            me: boolean;
            /**
             * @description A room occupant's real bare address, when the room reveals it.
             * @example bob@example.com
             */
            realAddress?: string;
            /** @enum {string} */
            role?: "moderator" | "participant" | "visitor" | "none";
        };
        ChatSummaryDto: {
            participants: components["schemas"]["ContactAddressDto"][];
            thread: string;
        };
        ConfigurationRoomDto: {
            /** @example myroom@conference.example.com */
            address: string;
            /** @description These are the owner form's settings (asked for with `?owner=true`). */
            owner: boolean;
        };
        ContactAddressDto: {
            /** @example bob@example.com */
            address: string;
        };
        ContactDto: {
            /** @example bob@example.com */
            address: string;
            /**
             * @example [
             *       "Friends"
             *     ]
             */
            groups: string[];
            /** @example Bob */
            name?: string;
            /** @description A subscription request to the contact is awaiting an answer. */
            pending: boolean;
            /** @description The contact's last known presence, when one is known. */
            presence?: components["schemas"]["PresenceDto"];
            /**
             * @description `to`: this account sees the contact's presence; `none`: not (yet).
             * @enum {string}
             */
            subscription: "to" | "none";
        };
        CreateChatDto: {
            /**
             * @description As for `POST /v1/chats/{thread}/messages`.
             * @example <b>Hi</b> Bob
             */
            html?: string;
            /** @example Hi Bob */
            text: string;
            /**
             * @description The partner's bare address.
             * @example bob@example.com
             */
            to: string;
        };
        CreateSessionDto: {
            /**
             * @description The account's bare address.
             * @example alice@example.com
             */
            account: string;
            /**
             * Format: password
             * @description Sent upstream once and never kept.
             * @example alice-pass
             */
            password: string;
        };
        GatewayDto: {
            /** @example yahoo.example.com */
            domain: string;
            /** @description This account's registration, or null when it has none. */
            registration: components["schemas"]["GatewayRegistrationDto"] | null;
            /**
             * @description The gateway's type, used in the gateway routes (`yahoo`, `msn` …).
             * @example yahoo
             */
            type: string;
        };
        GatewayRegistrationDto: {
            /**
             * @description The account name on the remote network.
             * @example alice_y
             */
            name: string;
            /**
             * @description Milliseconds until the next connect attempt, only while one is scheduled.
             * @example 30000
             */
            reconnectInMs?: number;
            /**
             * @description One of trying_to_connect, online, bad_auth, disabled, intentionally_offline, shutdown, start.
             * @example online
             */
            state: string;
        };
        HealthStatusDto: {
            /**
             * @example ok
             * @enum {string}
             */
            status: "ok";
        };
        InvitationDto: {
            /**
             * @description Who to invite. A 1:1 chat becomes a room first (its thread stays the same).
             * @example carol@example.com
             */
            address: string;
            /**
             * @description Invitation text; the IM server's default ("Please join my chat") when absent or blank.
             * @example Join us
             */
            message?: string;
        };
        JoinResultDto: {
            /** @description The room did not exist and this join created it (the upstream's `NewRoomCreated`). */
            created: boolean;
            /**
             * @description The upstream's MUC status names, in the order sent.
             * @example [
             *       "OccupantPresence",
             *       "NewRoomCreated"
             *     ]
             */
            statuses: string[];
            /**
             * @description The room's chat: send to it, read it and leave it through `/v1/chats/{thread}`.
             * @example myroom
             */
            thread: string;
        };
        JoinRoomDto: {
            /**
             * @description Nickname in the room; defaults to the local part of the account's address.
             * @example alice
             */
            nickname?: string;
            /**
             * Format: password
             * @description The room's password, for a password-protected room.
             */
            password?: string;
            /**
             * @description Join into this chat, e.g. an invitation's thread; by default the room's local part.
             * @example myroom
             */
            thread?: string;
        };
        NamedAddressDto: {
            /** @example conference.example.com */
            address: string;
            /** @example Public Chatrooms */
            name: string;
        };
        PostMessageDto: {
            /**
             * @description The same message as an XHTML fragment (`<b>bold</b> &amp; more`). Must be well-formed; the five
             *     XML entities, numeric references and HTML 4 named entities (`&nbsp;` …, sent as numeric ones)
             *     are accepted. Not well-formed is a 400.
             * @example <b>See you at 5</b> &amp; not later
             */
            html?: string;
            /**
             * @description Plain text of the message (also what clients without HTML show).
             * @example See you at 5 & not later
             */
            text: string;
            /**
             * @description Where to send (the 1:1 partner or the room), overriding the address the proxy knows for the
             *     thread. Needed only for a room this session has not joined or seen.
             * @example bob@example.com
             */
            to?: string;
        };
        PresenceDto: {
            /**
             * @example online
             * @enum {string}
             */
            show: "online" | "chat" | "away" | "xa" | "dnd" | "offline";
            /** @example In a meeting */
            status?: string;
        };
        PrivacyItemDto: {
            /**
             * @example deny
             * @enum {string}
             */
            action: "allow" | "deny";
            /**
             * @description A bare address (`friend@spam.example`) or a whole domain (`spam.example`).
             * @example spam.example
             */
            address: string;
            /**
             * @description Position of the rule: a unique positive integer, lower is checked first.
             * @example 1
             */
            order: number;
        };
        PrivacyListDto: {
            /** @description Ascending by order. */
            items: components["schemas"]["PrivacyRuleDto"][];
            /**
             * @description The list's name; for `default`, the default list's real name (`default` when the user has none).
             * @example default
             */
            name: string;
        };
        PrivacyRuleDto: {
            /**
             * @example deny
             * @enum {string}
             */
            action: "allow" | "deny";
            /**
             * @description A bare address or a whole domain, as the IM server keeps it.
             * @example spam.example
             */
            address: string;
            /**
             * @description Position of the rule, lower is checked first.
             * @example 1
             */
            order: number;
        };
        ProblemDto: {
            /**
             * @description Stable machine code: the upstream's where one exists, else ours (`request.INVALID` …).
             * @example request.INVALID
             */
            code: string;
            /** @example The request has invalid fields: account. */
            detail: string;
            errors?: components["schemas"]["ProblemFieldErrorDto"][];
            /** @example 400 */
            status: number;
            /** @example Bad Request */
            title: string;
            /**
             * Format: uri
             * @example https://imbridge.dev/problems/request.INVALID
             */
            type: string;
            upstream?: components["schemas"]["ProblemUpstreamDto"];
        };
        ProblemFieldErrorDto: {
            /**
             * @description Dotted path of the offending input, array items by index; empty for the whole body.
             * @example groups.0
             */
            field: string;
            /** @example groups.0 must not contain a comma */
            message: string;
        };
        ProblemUpstreamDto: {
            /** @example service.AUTH_EXPIRED */
            code: string;
            /** @example qtp1-23:1700000000000:abc */
            trace?: string;
        };
        ReadMarkerDto: {
            /**
             * @description The seq of the newest message the reader has read; later messages from others count as unread.
             * @example 12
             */
            seq: number;
        };
        RegisterGatewayDto: {
            /** @example alice_y */
            name: string;
            /** Format: password */
            password: string;
        };
        RoomSettingsDto: {
            /** @description Upstream var `admins`. Bare addresses. May be empty. */
            admins?: string[];
            /** @description Upstream var `allowinvites`. */
            allowInvites?: boolean;
            /** @description Upstream var `allowregister`. */
            allowRegister?: boolean;
            /** @description Upstream var `canchangenick`. */
            canChangeNick?: boolean;
            /** @description Upstream var `contactid`. May be empty. */
            contactId?: string;
            /**
             * Format: date-time
             * @description Upstream var `creationdate`. ISO-8601 UTC, like `sentAt`; left out when the room reports no readable date.
             */
            readonly creationDate?: string;
            /** @description Upstream var `description`. May be empty. */
            description?: string;
            /** @description Upstream var `getmemberlist`. Other values the room reports are left out. May be empty. */
            getMemberList?: ("moderator" | "participant" | "visitor")[];
            /** @description Upstream var `enablelogging`. */
            loggingEnabled?: boolean;
            /** @description Upstream var `logsurl`. May be empty. */
            logsUrl?: string;
            /** @description Upstream var `longname`. May be empty. */
            longName?: string;
            /** @description Upstream var `maxusers`. */
            maxUsers?: number;
            /** @description Upstream var `membersonly`. */
            membersOnly?: boolean;
            /** @description Upstream var `moderated`. */
            moderated?: boolean;
            /** @description Upstream var `noanonymous`. */
            nonAnonymous?: boolean;
            /** @description Upstream var `numoccupants`. */
            readonly occupantCount?: number;
            /** @description Upstream var `open`. */
            open?: boolean;
            /** @description Upstream var `owners`. Bare addresses. May be empty. */
            owners?: string[];
            /** @description Upstream var `password`. May be empty. */
            password?: string;
            /** @description Upstream var `passwordprotect`. */
            passwordProtected?: boolean;
            /** @description Upstream var `persistent`. */
            persistent?: boolean;
            /** @description Upstream var `presencebroadcast`. Other values the room reports are left out. May be empty. */
            presenceBroadcast?: ("moderator" | "participant" | "visitor")[];
            /** @description Upstream var `publicroom`. */
            publicRoom?: boolean;
            /** @description Upstream var `reservednick`. */
            reservedNick?: boolean;
            /** @description Upstream var `semianonymous`. */
            semiAnonymous?: boolean;
            /** @description Upstream var `subject`. May be empty. */
            subject?: string;
            /** @description Upstream var `subjectmodifyable`. */
            subjectModifiable?: boolean;
            /** @description Upstream var `whois`. Other values the room reports are left out. May be empty. */
            whois?: ("moderators" | "anyone")[];
        };
        RosterDto: {
            chats: components["schemas"]["ChatSummaryDto"][];
            contacts: components["schemas"]["ContactDto"][];
            /** @description This account's own presence. */
            presence: components["schemas"]["PresenceDto"];
            /**
             * @description Addresses asking to see this account's presence.
             * @example [
             *       "carol@example.com"
             *     ]
             */
            requests: string[];
        };
        SentMessageDto: {
            /**
             * Format: date-time
             * @example 2010-11-17T13:20:00.000Z
             */
            sentAt: string;
            /**
             * @description The message's number in the chat, from 1, the same as in its `message` event and in history.
             * @example 1
             */
            seq: number;
            /**
             * @description The real thread id (a stale or absent one in the request is replaced by the IM server's).
             * @example chat-alice%example.com-0
             */
            thread: string;
        };
        SessionDto: {
            /**
             * @description The account's bare address, as the upstream knows it.
             * @example alice@example.com
             */
            account: string;
            /**
             * Format: date-time
             * @description When the token expires (ISO-8601 UTC).
             * @example 2030-01-01T12:00:00.000Z
             */
            expiresAt: string;
            /** @description The bearer token for every other route (the upstream auth token, passed through). */
            token: string;
        };
        SetIdleDto: {
            /** @example true */
            idle: boolean;
            /**
             * @description How long the user has been idle, in seconds.
             * @example 300
             */
            idleSeconds: number;
        };
        SetPresenceDto: {
            /**
             * @description Language of `status`, a BCP 47 tag such as `en` or `pt-BR`.
             * @example en
             */
            lang?: string;
            priority?: number;
            /**
             * @example away
             * @enum {string}
             */
            show: "online" | "chat" | "away" | "xa" | "dnd" | "offline";
            /**
             * @description Free-text status message.
             * @example In a meeting
             */
            status?: string;
        };
        SetPrivacyListDto: {
            /** @description Orders must be unique positive integers. */
            items: components["schemas"]["PrivacyItemDto"][];
        };
        TypingDto: {
            /**
             * @description true: "is typing"; false: "stopped typing".
             * @example true
             */
            typing: boolean;
        };
        UpdateConfigurationDto: {
            /**
             * @description The settings to change; the others stay as they are. `{}` submits the room's form unchanged.
             *     The `settings` of a configuration read may be sent back as they are.
             */
            settings: components["schemas"]["UpdateRoomSettingsDto"];
        };
        UpdateContactDto: {
            /**
             * @description Group names, 1..128 characters each, no commas.
             * @example [
             *       "Friends"
             *     ]
             */
            groups?: string[];
            /**
             * @description Display name.
             * @example Bob
             */
            name?: string;
        };
        UpdateRoomSettingsDto: {
            /** @description Upstream var `admins`. Bare addresses. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            admins?: string[];
            /** @description Upstream var `allowinvites`. */
            allowInvites?: boolean;
            /** @description Upstream var `allowregister`. */
            allowRegister?: boolean;
            /** @description Upstream var `canchangenick`. */
            canChangeNick?: boolean;
            /** @description Upstream var `contactid`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            contactId?: string;
            /**
             * Format: date-time
             * @description Upstream var `creationdate`. Reported by the room, never written: ignored in a request (so a configuration read can be sent back as it is).
             */
            readonly creationDate?: string;
            /** @description Upstream var `description`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            description?: string;
            /** @description Upstream var `getmemberlist`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            getMemberList?: ("moderator" | "participant" | "visitor")[];
            /** @description Upstream var `enablelogging`. */
            loggingEnabled?: boolean;
            /** @description Upstream var `logsurl`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            logsUrl?: string;
            /** @description Upstream var `longname`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            longName?: string;
            /** @description Upstream var `maxusers`. */
            maxUsers?: number;
            /** @description Upstream var `membersonly`. */
            membersOnly?: boolean;
            /** @description Upstream var `moderated`. */
            moderated?: boolean;
            /** @description Upstream var `noanonymous`. */
            nonAnonymous?: boolean;
            /** @description Upstream var `numoccupants`. Reported by the room, never written: ignored in a request (so a configuration read can be sent back as it is). */
            readonly occupantCount?: number;
            /** @description Upstream var `open`. */
            open?: boolean;
            /** @description Upstream var `owners`. Bare addresses. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            owners?: string[];
            /** @description Upstream var `password`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            password?: string;
            /** @description Upstream var `passwordprotect`. */
            passwordProtected?: boolean;
            /** @description Upstream var `persistent`. */
            persistent?: boolean;
            /** @description Upstream var `presencebroadcast`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            presenceBroadcast?: ("moderator" | "participant" | "visitor")[];
            /** @description Upstream var `publicroom`. */
            publicRoom?: boolean;
            /** @description Upstream var `reservednick`. */
            reservedNick?: boolean;
            /** @description Upstream var `semianonymous`. */
            semiAnonymous?: boolean;
            /** @description Upstream var `subject`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            subject?: string;
            /** @description Upstream var `subjectmodifyable`. */
            subjectModifiable?: boolean;
            /** @description Upstream var `whois`. Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting. */
            whois?: ("moderators" | "anyone")[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is serving. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthStatusDto"];
                };
            };
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The IM server answers, and a new token could get an upstream session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthStatusDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached; `links.EXHAUSTED`: every link is in use (`MAX_LINKS`); `cluster.UNAVAILABLE`: with several instances, Redis cannot be reached or this instance lost its lease. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    MetricsController_scrape: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition (version 0.0.4). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    ChatsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatListItemDto"][];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatsController_start: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request within IDEMPOTENCY_TTL_MS gets the first answer again without a second call to the IM server; a concurrent retry waits for the first. Keys are per token. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateChatDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentMessageDto"];
                };
            };
            /** @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `im.INVALID_ADDRESS`: the IM server cannot resolve `to`. `idempotency.KEY_REUSED`: the Idempotency-Key was used for another request. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `message.NO_ECHO`: the IM server did not echo the message within `ROSTER_TIMEOUT_MS` (it may still have gone out). */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatsController_get: {
        parameters: {
            query?: {
                /** @description How many messages, 1..1000 (default 1000). */
                limit?: number;
                /** @description Only messages with a smaller seq; without `after`, the page is the newest of them. */
                before?: number;
                /** @description Only messages with a greater seq; the page is the oldest of them (0 = from the start). */
                after?: number;
            };
            header?: never;
            path: {
                /** @description The chat's thread id (percent-encoded), as in events and `GET /v1/chats`. */
                thread: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatDto"];
                };
            };
            /**
             * @description `request.INVALID`: an invalid `after`, `before`, `limit` (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `thread`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: no open chat with that thread. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatsController_close: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat's thread id (percent-encoded), as in events and `GET /v1/chats`. */
                thread: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `thread`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: no open chat with that thread. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatConfigurationController_get: {
        parameters: {
            query?: {
                /** @description Read the owner form (owners only): `true` or `false`; absent is `false`. */
                owner?: boolean;
            };
            header?: never;
            path: {
                thread: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatConfigurationDto"];
                };
            };
            /**
             * @description `request.INVALID`: an invalid `thread`, or a URL with broken percent-encoding.
             *
             *     `request.INVALID`: an invalid `owner` (one `errors` entry each).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_allowed`: the owner form was asked for by someone who is not an owner. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found` (unknown chat or room), `not_a_conference_room`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `no_response_from_remote`: the room did not answer. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatConfigurationController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateConfigurationDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `thread`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `im.NOT_ALLOWED`: only an owner inside the room may configure it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: no such chat. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `im.NOT_A_MUC_CHAT`: a 1:1 chat has no room to configure. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `im.NO_RESPONSE`: the room did not answer. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatsController_invite: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request within IDEMPOTENCY_TTL_MS gets the first answer again without a second call to the IM server; a concurrent retry waits for the first. Keys are per token. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The chat's thread id (percent-encoded), as in events and `GET /v1/chats`. */
                thread: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `thread`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: no open chat with that thread. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `idempotency.KEY_REUSED`: the Idempotency-Key was used for another request. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatsController_post: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request within IDEMPOTENCY_TTL_MS gets the first answer again without a second call to the IM server; a concurrent retry waits for the first. Keys are per token. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The chat's thread id (percent-encoded), as in events and `GET /v1/chats`. */
                thread: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PostMessageDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentMessageDto"];
                };
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `thread`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description The room refused the message: `forbidden`, `not_allowed`, `not_acceptable`, `not_authorized`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: no open chat with that thread. `item_not_found`: the recipient does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `chat.ADDRESS_UNKNOWN`: the address of the thread (a room this session has not joined) is not known and `to` is absent. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `im.INVALID_ADDRESS`: the IM server cannot resolve `to`. `idempotency.KEY_REUSED`: the Idempotency-Key was used for another request. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /**
             * @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read.
             *
             *     Any other condition the room refused the message with, as the code.
             */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `message.NO_ECHO`: the IM server did not echo the message within `ROSTER_TIMEOUT_MS` (it may still have gone out). `remote_server_timeout`: the room did not answer. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatsController_read: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat's thread id (percent-encoded), as in events and `GET /v1/chats`. */
                thread: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReadMarkerDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `thread`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: no open chat with that thread. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ChatsController_typing: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat's thread id (percent-encoded), as in events and `GET /v1/chats`. */
                thread: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TypingDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `thread`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: no open chat with that thread. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `chat.ADDRESS_UNKNOWN`: the address of the thread (a room this session has not joined) is not known. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ConferenceServicesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NamedAddressDto"][];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    ConferenceServicesController_listRooms: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                service: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NamedAddressDto"][];
                };
            };
            /** @description `request.INVALID`: an invalid `service`, or a URL with broken percent-encoding. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `im.NOT_A_CONFERENCE_SERVICE`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `im.NO_RESPONSE`: the service did not answer. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    GatewaysController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayDto"][];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    GatewaysController_reconnect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                type: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `type`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: the IM server offers no gateway of that type to this account. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `conflict`: there is no registration to reconnect. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    GatewaysController_register: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                type: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterGatewayDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `type`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: the IM server offers no gateway of that type to this account. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    GatewaysController_unregister: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                type: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `type`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: the IM server offers no gateway of that type to this account. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    PresenceController_set: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetPresenceDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    PresenceController_idle: {
        parameters: {
            query?: never;
            header?: {
                /** @description The client reporting; defaults to one shared REST client. */
                "x-client-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetIdleDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `x-client-id` (one `errors` entry each).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    PrivacyController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyListDto"];
                };
            };
            /** @description `request.INVALID`: an invalid `name`, or a URL with broken percent-encoding. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `roster.TIMEOUT`: the list never arrived (the IM server sends nothing for a list that does not exist). */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    PrivacyController_set: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetPrivacyListDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `name`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    RoomsController_configuration: {
        parameters: {
            query?: {
                /** @description Read the owner form (owners only): `true` or `false`; absent is `false`. */
                owner?: boolean;
            };
            header?: never;
            path: {
                address: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatConfigurationDto"];
                };
            };
            /**
             * @description `request.INVALID`: an invalid `address`, or a URL with broken percent-encoding.
             *
             *     `request.INVALID`: an invalid `owner` (one `errors` entry each).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_allowed`: the owner form was asked for by someone who is not an owner. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found` (unknown chat or room), `not_a_conference_room`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `no_response_from_remote`: the room did not answer. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    RoomsController_join: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request within IDEMPOTENCY_TTL_MS gets the first answer again without a second call to the IM server; a concurrent retry waits for the first. Keys are per token. */
                "Idempotency-Key"?: string;
            };
            path: {
                address: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["JoinRoomDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JoinResultDto"];
                };
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `address`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description The room refused: `PasswordRequired`, `Banned`, `NotAllowed`, `NotAMember`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `NoSuchRoom`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `NicknameConflict`, `MustUseReservedRoomnick`, `MaxUsers`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `idempotency.KEY_REUSED`: the Idempotency-Key was used for another request. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `no_response_from_remote`: the room did not answer the join. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    RosterController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RosterDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `roster.TIMEOUT`: the roster notification did not come within `ROSTER_TIMEOUT_MS`. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    RosterController_add: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddContactDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactAddressDto"];
                };
            };
            /** @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `im.INVALID_ADDRESS`: the IM server cannot resolve the address. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    RosterController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                address: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateContactDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactAddressDto"];
                };
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `address`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `not_found`: the address is not a contact. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `im.INVALID_ADDRESS`: the IM server cannot resolve the address. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. `roster.TIMEOUT`: the roster notification did not come within `ROSTER_TIMEOUT_MS`. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    RosterController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                address: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `address`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `im.INVALID_ADDRESS`: the IM server cannot resolve the address. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    RosterController_answer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                address: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AnswerSubscriptionDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).
             *
             *     `request.INVALID`: an invalid `address`, or a URL with broken percent-encoding.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.URI_TOO_LONG`: a path parameter over 1000 characters (percent-encoded). */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    AuthController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSessionDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `account.AUTH_FAILED`: unknown account or wrong password. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    AuthController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; `service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.TOO_LARGE`: a body over `MAX_BODY_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address. */
            429: {
                headers: {
                    /** @description Seconds to wait before the next request. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `upstream.TIMEOUT`: the IM server did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
}
