package org.twitchtriage.cdshooks.internal;

import org.springframework.data.jpa.repository.JpaRepository;

interface IssuedCardRows extends JpaRepository<IssuedCard, String> {}
