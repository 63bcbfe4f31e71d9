#pragma once
// The cross-node events::Bus over PostgreSQL LISTEN/NOTIFY.
//
// Every node that shares a database (and schema) shares one notification channel:
// "ihos_events" for the public schema, "ihos_events_<hash of the schema>" otherwise (so test
// schemas on one server never hear each other). Topic and payload travel inside the
// notification as "<node id>\n<topic>\n<payload>".
//
//  - Publish delivers to this node's subscribers at once (on the publisher's thread, like the
//    local bus) and queues the notification for the other nodes; a publisher thread sends the
//    queue in batches (SELECT pg_notify(...), ... on its own connection). A payload too big for
//    a notification (over ~7900 bytes) crosses as {"kind":"changed"} instead: the receiving
//    client reads the database. Never blocks on the network; when the queue is full (the
//    database is unreachable) the event is dropped and counted.
//  - A listener thread holds a dedicated connection that LISTENs and hands each notification
//    from another node to this node's subscribers (its own are skipped by node id).
//  - When either link drops, its thread reconnects with backoff (100 ms doubling to 5 s).
//    Notifications sent while this node was not listening are lost, so after a re-connect
//    every topic with subscribers here gets {"kind":"resync"}: clients then fill the gap from
//    the database (events are hints; the database is the truth).
//
// Thread safety: as events::Bus. Callbacks run on the publisher's thread (local events) or the
// listener thread (events from other nodes).
#include <memory>
#include <string>

#include "core/events.hpp"

namespace ihos::store::postgres {

// Starts the two threads; connecting happens in them (so this never fails). `uri` is a libpq
// URI ("postgresql://..."), the database's own.
std::unique_ptr<events::Bus> MakePgBus(std::string uri);

}  // namespace ihos::store::postgres
