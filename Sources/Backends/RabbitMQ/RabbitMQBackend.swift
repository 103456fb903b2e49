// RabbitMQ backend.
