#ifndef NEWSBOT_CRABBITMQ_SHIM_H
#define NEWSBOT_CRABBITMQ_SHIM_H
#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/tcp_socket.h>
#else
#include <amqp.h>
#include <amqp_tcp_socket.h>
#endif

/* amqp_login is variadic, which Swift cannot call: a fixed-argument wrapper for PLAIN auth. */
static inline amqp_rpc_reply_t newsbot_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                        int channel_max, int frame_max, int heartbeat,
                                                        const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}
/* Method numbers and property flags are macros with casts or shifts that Swift does not
   import reliably: plain functions instead. */
static inline amqp_method_number_t newsbot_amqp_method_basic_ack(void) { return AMQP_BASIC_ACK_METHOD; }
static inline amqp_method_number_t newsbot_amqp_method_basic_nack(void) { return AMQP_BASIC_NACK_METHOD; }
static inline amqp_method_number_t newsbot_amqp_method_basic_return(void) { return AMQP_BASIC_RETURN_METHOD; }
static inline amqp_method_number_t newsbot_amqp_method_basic_get_ok(void) { return AMQP_BASIC_GET_OK_METHOD; }
static inline amqp_method_number_t newsbot_amqp_method_basic_get_empty(void) { return AMQP_BASIC_GET_EMPTY_METHOD; }
static inline amqp_method_number_t newsbot_amqp_method_channel_close(void) { return AMQP_CHANNEL_CLOSE_METHOD; }
static inline amqp_method_number_t newsbot_amqp_method_connection_close(void) { return AMQP_CONNECTION_CLOSE_METHOD; }
static inline amqp_flags_t newsbot_amqp_persistent_publish_flags(void) {
    return AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
}
static inline amqp_flags_t newsbot_amqp_headers_flag(void) { return AMQP_BASIC_HEADERS_FLAG; }
#endif
