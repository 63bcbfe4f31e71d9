#pragma once
// HTTP handlers of the notifications capability. Routes are listed in src/app/routes.cpp.
#include "domain/notifications/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::notifications::api {

// GET /api/v1/me/notifications: {"items": [{id, kind, title{zh-CN,en}, body{zh-CN,en},
// created_at, read_at, appointment_id}]}.
http::Handler Mine(NotificationService& svc);
// POST /api/v1/me/notifications/{id}/read: 204.
http::Handler MarkRead(NotificationService& svc);

}  // namespace ihos::domain::notifications::api
